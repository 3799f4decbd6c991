package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/opendata-docket/docket/internal/draft"
	"github.com/opendata-docket/docket/internal/report"
)

// stdin is where docket new, decide and enforce read answers; tests replace it.
var stdin io.Reader = os.Stdin

// prompter asks the questions a command's flags did not answer, one plain line at a time:
// the question, the choices or the default in brackets, and the answer checked at once, so
// a wrong answer is asked again with the reason rather than found at the end. It reads from
// standard input whether or not it is a terminal, so answers can be piped in; at the end of
// the input, or with --no-input, a question without a default is an error naming the flag
// that answers it.
type prompter struct {
	ctx      context.Context // Ctrl-C or SIGTERM cancels it: every question and the editor stop
	in       *bufio.Reader
	out      io.Writer // questions and the reasons an answer was refused: standard error
	noInput  bool
	terminal bool   // standard input is a terminal, which shows the answers as they are typed
	editor   string // $VISUAL or $EDITOR, for Markdown answers; "" to type them on the terminal
	tempDir  string
}

func newPrompter(ctx context.Context, out io.Writer, noInput bool) *prompter {
	return &prompter{ctx: ctx, in: bufio.NewReader(stdin), out: out, noInput: noInput, terminal: isTerminal(stdin), editor: editorCommand()}
}

// isTerminal reports whether r is a terminal (a character device).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// editorCommand is the editor people set for git and the rest: $VISUAL, else $EDITOR.
func editorCommand() string {
	if e := strings.TrimSpace(os.Getenv("VISUAL")); e != "" {
		return e
	}
	return strings.TrimSpace(os.Getenv("EDITOR"))
}

// errNoAnswer is returned when a question cannot be asked: standard input has ended or
// --no-input was given.
type errNoAnswer struct{ question, flag string }

func (e *errNoAnswer) Error() string {
	if e.flag == "" {
		return fmt.Sprintf("no answer to %q", e.question)
	}
	return fmt.Sprintf("no answer to %q: give %s", e.question, e.flag)
}

// maxTries bounds how often one question is asked again, so a script that pipes a wrong
// answer does not loop for ever.
const maxTries = 5

// errInterrupted is returned by every question and the editor once Ctrl-C or SIGTERM has
// cancelled the command's context; the command then exits with status 130.
var errInterrupted = errors.New("interrupted")

// line reads one line; io.EOF at the end of the input, errInterrupted once the context is done.
func (p *prompter) line() (string, error) {
	if p.noInput {
		return "", io.EOF
	}
	if p.ctx.Err() != nil {
		return "", errInterrupted
	}
	type read struct {
		s   string
		err error
	}
	// The read blocks in a goroutine so that an interrupt is seen while a question waits; on an
	// interrupt the command ends, and the goroutine with it.
	ch := make(chan read, 1)
	go func() {
		s, err := p.in.ReadString('\n')
		ch <- read{s, err}
	}()
	var s string
	var err error
	select {
	case <-p.ctx.Done():
		fmt.Fprintln(p.out)
		return "", errInterrupted
	case r := <-ch:
		s, err = r.s, r.err
	}
	if err != nil && (s == "" || !errors.Is(err, io.EOF)) {
		return "", io.EOF
	}
	s = strings.TrimRight(s, "\r\n")
	if !p.terminal {
		// A terminal shows what was typed; answers piped in are shown here instead, so the
		// conversation reads the same.
		fmt.Fprintln(p.out, report.Printable(s))
	}
	return s, nil
}

// ask asks a one-line question. An empty answer takes def when there is one. check returns
// the value to keep, or an error that is shown before the question is asked again.
func (p *prompter) ask(question, flag, def string, check func(string) (string, error)) (string, error) {
	if p.noInput {
		return p.unanswered(question, flag, check)
	}
	for try := 0; ; try++ {
		if def != "" {
			fmt.Fprintf(p.out, "%s [%s]: ", question, report.Printable(def))
		} else {
			fmt.Fprintf(p.out, "%s: ", question)
		}
		s, err := p.line()
		if errors.Is(err, errInterrupted) {
			return "", err
		}
		if err != nil {
			// No more answers: an optional question is left empty; a question with a default
			// takes it.
			fmt.Fprintln(p.out)
			if v, err := check(""); err == nil {
				return v, nil
			}
			if def != "" {
				return check(def)
			}
			return "", &errNoAnswer{question, flag}
		}
		s = strings.TrimSpace(s)
		if s == "" {
			s = def
		}
		v, err := check(s)
		if err == nil {
			return v, nil
		}
		fmt.Fprintln(p.out, "  "+report.Printable(err.Error()))
		if try+1 == maxTries {
			return "", fmt.Errorf("%s: %w", question, err)
		}
	}
}

// unanswered is the answer to a question --no-input does not let docket ask: empty when the
// question is optional, else an error naming the flag that answers it. Defaults are not
// taken: they stand for the person answering (personal data: no), who has not said so.
func (p *prompter) unanswered(question, flag string, check func(string) (string, error)) (string, error) {
	if v, err := check(""); err == nil {
		return v, nil
	}
	return "", &errNoAnswer{question, flag}
}

// choice is one answer of a multiple-choice question: the value written to the file and the
// words shown for it.
type choice struct{ value, words string }

// choose asks for one of choices, by number or by value.
func (p *prompter) choose(question, flag, def string, choices []choice) (string, error) {
	if p.noInput {
		return p.unanswered(question, flag, func(s string) (string, error) { return pick(s, choices) })
	}
	fmt.Fprintf(p.out, "%s\n", question)
	for i, c := range choices {
		fmt.Fprintf(p.out, "  %d. %s", i+1, c.value)
		if c.words != "" {
			fmt.Fprintf(p.out, ": %s", c.words)
		}
		fmt.Fprintln(p.out)
	}
	return p.ask("Your choice (a number or a word)", flag, def, func(s string) (string, error) {
		return pick(s, choices)
	})
}

func pick(s string, choices []choice) (string, error) {
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(choices) {
		return choices[n-1].value, nil
	}
	var names []string
	for _, c := range choices {
		if strings.EqualFold(s, c.value) {
			return c.value, nil
		}
		names = append(names, c.value)
	}
	if s == "" {
		return "", fmt.Errorf("choose one of %s", strings.Join(names, ", "))
	}
	return "", fmt.Errorf("%q is not one of the choices: %s, or their numbers", s, strings.Join(names, ", "))
}

// yesNo asks a yes-or-no question. At the end of the input the answer is no, whatever the
// default: nobody is there to say yes, and a yes would start something again.
func (p *prompter) yesNo(question, flag string, def bool) (bool, error) {
	d := "no"
	if def {
		d = "yes"
	}
	if p.noInput {
		return false, nil
	}
	for try := 0; try < maxTries; try++ {
		fmt.Fprintf(p.out, "%s (yes or no) [%s]: ", question, d)
		s, err := p.line()
		if errors.Is(err, errInterrupted) {
			return false, err
		}
		if err != nil {
			fmt.Fprintln(p.out)
			return false, nil
		}
		if s = strings.TrimSpace(s); s == "" {
			return def, nil
		}
		v, err := draft.YesNo(s)
		if err == nil {
			return v == "yes", nil
		}
		fmt.Fprintln(p.out, "  "+report.Printable(err.Error()))
	}
	return false, nil
}

// text asks for a longer answer, in Markdown: in the editor when one is set, else as lines
// typed until an empty line.
func (p *prompter) text(question, flag, hint string, check func(string) (string, error)) (string, error) {
	if p.noInput {
		return p.unanswered(question, flag, check)
	}
	for try := 0; ; try++ {
		var s string
		var err error
		if p.editor != "" {
			fmt.Fprintf(p.out, "%s (opening %s)\n", question, p.editor)
			s, err = p.edit(question, hint, "")
		} else {
			fmt.Fprintf(p.out, "%s\n  (%s; end with an empty line)\n", question, hint)
			var lines []string
			for {
				l, lerr := p.line()
				if errors.Is(lerr, errInterrupted) {
					return "", lerr
				}
				if lerr != nil {
					if len(lines) == 0 {
						return "", &errNoAnswer{question, flag}
					}
					break
				}
				if strings.TrimSpace(l) == "" {
					break
				}
				lines = append(lines, l)
			}
			s = strings.Join(lines, "\n")
		}
		if err != nil {
			return "", err
		}
		v, cerr := check(strings.TrimSpace(s))
		if cerr == nil {
			return v, nil
		}
		fmt.Fprintln(p.out, "  "+report.Printable(cerr.Error()))
		if try+1 == maxTries {
			return "", fmt.Errorf("%s: %w", question, cerr)
		}
	}
}

// edit opens text in the editor, under comment lines that explain what to write, and returns
// what was saved without those lines.
func (p *prompter) edit(question, hint, text string) (string, error) {
	f, err := os.CreateTemp(p.tempDir, "docket-*.md")
	if err != nil {
		return "", err
	}
	name := f.Name()
	defer os.Remove(name)
	fmt.Fprintf(f, "%s\n%s\n%s", commentPrefix+question, commentPrefix+hint+". Lines starting with "+strings.TrimSpace(commentPrefix)+" are left out.", text)
	if err := f.Close(); err != nil {
		return "", err
	}
	if err := p.runEditor(name); err != nil {
		return "", err
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return "", err
	}
	var keep []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, strings.TrimSpace(commentPrefix)) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n"), nil
}

// commentPrefix starts the explanation lines in a file opened in the editor for a Markdown
// answer. Markdown has no comments; a line starting with these characters is not one a
// requester writes.
const commentPrefix = "#: "

// runEditor runs the editor on a file, as git does: through the shell, so $EDITOR may carry
// arguments ("code --wait").
func (p *prompter) runEditor(file string) error {
	if p.ctx.Err() != nil {
		return errInterrupted
	}
	cmd := exec.CommandContext(p.ctx, "sh", "-c", p.editor+` "$1"`, "editor", file)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stderr, os.Stderr
	if err := cmd.Run(); p.ctx.Err() != nil {
		return errInterrupted
	} else if err != nil {
		return fmt.Errorf("the editor (%s) failed on %s: %w", p.editor, filepath.Base(file), err)
	}
	return nil
}

// interruptible is the exit status of a command that asks questions: 130, as a shell reports
// an interrupted program, once Ctrl-C or SIGTERM cancelled ctx, whatever the command made of
// the errors that followed; nothing half-answered is written after that.
func interruptible(ctx context.Context, stderr io.Writer, code int) int {
	if ctx.Err() != nil {
		errorf(stderr, "interrupted")
		return 130
	}
	return code
}
