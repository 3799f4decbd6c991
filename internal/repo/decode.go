package repo

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/opendata-docket/docket/internal/docket"
)

// decode turns a file's checked plain data into its domain type. The schema has already
// guaranteed every shape, so a mismatch here is a bug in docket, returned as an error.
func decode(kind docket.FileKind, v any) (any, error) {
	var out any
	switch kind {
	case docket.KindRequestFile:
		out = new(docket.Request)
	case docket.KindDecisionFile:
		out = new(docket.Decision)
	case docket.KindAppealFile:
		out = new(docket.Appeal)
	case docket.KindEnforcementFile:
		out = new(docket.Enforcement)
	case docket.KindAcceptanceFile:
		out = new(docket.Acceptance)
	case docket.KindConfigFile:
		out = new(docket.Config)
	default:
		return nil, fmt.Errorf("unknown file kind %q", kind)
	}
	if err := decodeValue(v, reflect.ValueOf(out).Elem(), ""); err != nil {
		return nil, err
	}
	return out, nil
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// decodeValue stores v into out, matching mapping keys to the json tags of struct fields. It
// does directly what a JSON round trip would, without writing and re-reading every file.
func decodeValue(v any, out reflect.Value, path string) error {
	if v == nil {
		return nil // absent or empty: leave the zero value
	}
	if out.CanAddr() && out.Addr().Type().Implements(textUnmarshaler) {
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: want text, have %T", path, v)
		}
		return out.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s))
	}
	switch out.Kind() {
	case reflect.Pointer:
		p := reflect.New(out.Type().Elem())
		if err := decodeValue(v, p.Elem(), path); err != nil {
			return err
		}
		out.Set(p)
		return nil
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: want a mapping, have %T", path, v)
		}
		for _, f := range fieldsOf(out.Type()) {
			if x, ok := m[f.name]; ok {
				if err := decodeValue(x, out.Field(f.index), path+"."+f.name); err != nil {
					return err
				}
			}
		}
		return nil
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: want a list, have %T", path, v)
		}
		s := reflect.MakeSlice(out.Type(), len(list), len(list))
		for i, x := range list {
			if err := decodeValue(x, s.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		out.Set(s)
		return nil
	case reflect.Map:
		if out.Type().Key().Kind() == reflect.String && out.Type().Elem().Kind() != reflect.Interface {
			// A mapping keyed by names (a decision's evaluation by criterion id): each value
			// decoded as its type.
			m, ok := v.(map[string]any)
			if !ok {
				return fmt.Errorf("%s: want a mapping, have %T", path, v)
			}
			mv := reflect.MakeMapWithSize(out.Type(), len(m))
			for k, x := range m {
				e := reflect.New(out.Type().Elem()).Elem()
				if err := decodeValue(x, e, path+"."+k); err != nil {
					return err
				}
				mv.SetMapIndex(reflect.ValueOf(k).Convert(out.Type().Key()), e)
			}
			out.Set(mv)
			return nil
		}
		rv := reflect.ValueOf(v)
		if !rv.Type().AssignableTo(out.Type()) {
			return fmt.Errorf("%s: want %s, have %T", path, out.Type(), v)
		}
		out.Set(rv)
		return nil
	case reflect.Interface:
		rv := reflect.ValueOf(v)
		if !rv.Type().AssignableTo(out.Type()) {
			return fmt.Errorf("%s: want %s, have %T", path, out.Type(), v)
		}
		out.Set(rv)
		return nil
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: want text, have %T", path, v)
		}
		out.SetString(s)
		return nil
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("%s: want true or false, have %T", path, v)
		}
		out.SetBool(b)
		return nil
	case reflect.Int, reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			return fmt.Errorf("%s: want a number, have %T", path, v)
		}
		i, err := n.Int64()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		out.SetInt(i)
		return nil
	case reflect.Float64:
		n, ok := v.(json.Number)
		if !ok {
			return fmt.Errorf("%s: want a number, have %T", path, v)
		}
		f, err := n.Float64()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		out.SetFloat(f)
		return nil
	}
	return fmt.Errorf("%s: cannot decode into %s", path, out.Type())
}

type fieldInfo struct {
	index int
	name  string
}

var fieldCache sync.Map // reflect.Type → []fieldInfo

func fieldsOf(t reflect.Type) []fieldInfo {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]fieldInfo)
	}
	var fields []fieldInfo
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			fields = append(fields, fieldInfo{i, name})
		}
	}
	fieldCache.Store(t, fields)
	return fields
}
