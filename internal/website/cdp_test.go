package website

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"

	"os"
	"os/exec"
	"regexp"
	"sync"
	"testing"
	"time"
)

// A small client of the Chrome DevTools Protocol over a WebSocket, enough to drive headless
// Chromium from tests: commands with replies, and events. Written here rather than taken from
// chromedp to keep docket's dependencies to what the product needs.

type cdp struct {
	conn    net.Conn
	r       *bufio.Reader
	wmu     sync.Mutex
	mu      sync.Mutex
	nextID  int64
	waiting map[int64]chan cdpMessage
	events  chan cdpMessage
	closed  chan struct{}
	err     error
}

type cdpMessage struct {
	ID        int64           `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// chromium is a headless browser process with a DevTools connection.
type chromium struct {
	cmd *exec.Cmd
	*cdp
}

var devtoolsRE = regexp.MustCompile(`DevTools listening on (ws://\S+)`)

func startChromium(t *testing.T, bin string) *chromium {
	t.Helper()
	// The profile is removed after Chromium and all its helpers are gone, and a file a helper
	// still held open does not fail the test (t.TempDir's removal would).
	profile, err := os.MkdirTemp("", "docket-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--allow-file-access-from-files",
		"--user-data-dir="+profile, "--remote-debugging-port=0", "about:blank")
	inOwnGroup(cmd)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(profile)
		t.Fatalf("starting %s: %v", bin, err)
	}
	t.Cleanup(func() {
		killGroup(cmd)
		_ = cmd.Wait()
		for i := 0; i < 20; i++ {
			if err := os.RemoveAll(profile); err == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Logf("could not remove Chromium's profile %s", profile)
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			if m := devtoolsRE.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	var ws string
	select {
	case u, ok := <-found:
		if !ok {
			t.Fatal("chromium exited without a DevTools address")
		}
		ws = u
	case <-time.After(60 * time.Second):
		t.Fatal("chromium did not print its DevTools address within a minute")
	}
	c, err := dialCDP(ws)
	if err != nil {
		t.Fatalf("connecting to chromium: %v", err)
	}
	t.Cleanup(func() { c.conn.Close() })
	return &chromium{cmd: cmd, cdp: c}
}

func dialCDP(raw string) (*cdp, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		return nil, err
	}
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
		u.RequestURI(), u.Host, base64.StdEncoding.EncodeToString(key))
	if _, err := io.WriteString(conn, req); err != nil {
		conn.Close()
		return nil, err
	}
	r := bufio.NewReaderSize(conn, 1<<20)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		conn.Close()
		return nil, fmt.Errorf("websocket handshake: %s", resp.Status)
	}
	c := &cdp{conn: conn, r: r, waiting: map[int64]chan cdpMessage{}, events: make(chan cdpMessage, 4096), closed: make(chan struct{})}
	go c.readLoop()
	return c, nil
}

func (c *cdp) writeFrame(op byte, payload []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	var h []byte
	h = append(h, 0x80|op)
	n := len(payload)
	switch {
	case n < 126:
		h = append(h, 0x80|byte(n))
	case n < 1<<16:
		h = append(h, 0x80|126, byte(n>>8), byte(n))
	default:
		h = append(h, 0x80|127)
		h = binary.BigEndian.AppendUint64(h, uint64(n))
	}
	mask := make([]byte, 4)
	_, _ = rand.Read(mask)
	h = append(h, mask...)
	masked := make([]byte, n)
	for i := range payload {
		masked[i] = payload[i] ^ mask[i%4]
	}
	_, err := c.conn.Write(append(h, masked...))
	return err
}

func (c *cdp) readFrame() (op byte, fin bool, payload []byte, err error) {
	var h [2]byte
	if _, err = io.ReadFull(c.r, h[:]); err != nil {
		return
	}
	fin, op = h[0]&0x80 != 0, h[0]&0x0f
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		if _, err = io.ReadFull(c.r, b[:]); err != nil {
			return
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err = io.ReadFull(c.r, b[:]); err != nil {
			return
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	var mask []byte
	if h[1]&0x80 != 0 {
		mask = make([]byte, 4)
		if _, err = io.ReadFull(c.r, mask); err != nil {
			return
		}
	}
	if n > 256<<20 {
		err = fmt.Errorf("websocket frame of %d bytes", n)
		return
	}
	payload = make([]byte, n)
	if _, err = io.ReadFull(c.r, payload); err != nil {
		return
	}
	if mask != nil {
		for i := range payload {
			payload[i] ^= mask[i%4]
		}
	}
	return
}

func (c *cdp) readLoop() {
	defer close(c.closed)
	var msg bytes.Buffer
	for {
		op, fin, p, err := c.readFrame()
		if err != nil {
			c.mu.Lock()
			c.err = err
			c.mu.Unlock()
			return
		}
		switch op {
		case 0x8:
			c.mu.Lock()
			c.err = errors.New("websocket closed")
			c.mu.Unlock()
			return
		case 0x9:
			_ = c.writeFrame(0xA, p)
			continue
		case 0xA:
			continue
		}
		msg.Write(p)
		if !fin {
			continue
		}
		var m cdpMessage
		if err := json.Unmarshal(msg.Bytes(), &m); err == nil {
			if m.ID != 0 {
				c.mu.Lock()
				ch := c.waiting[m.ID]
				delete(c.waiting, m.ID)
				c.mu.Unlock()
				if ch != nil {
					ch <- m
				}
			} else {
				select {
				case c.events <- m:
				default: // nobody is reading events this fast; drop rather than block replies
				}
			}
		}
		msg.Reset()
	}
}

// call sends a command and waits for its reply.
func (c *cdp) call(session, method string, params any, result any) error {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	ch := make(chan cdpMessage, 1)
	c.waiting[id] = ch
	c.mu.Unlock()
	if params == nil {
		params = struct{}{}
	}
	p, err := json.Marshal(params)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(cdpMessage{ID: id, Method: method, SessionID: session, Params: p})
	if err := c.writeFrame(0x1, b); err != nil {
		return err
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return fmt.Errorf("%s: %s", method, m.Error.Message)
		}
		if result != nil {
			return json.Unmarshal(m.Result, result)
		}
		return nil
	case <-c.closed:
		return fmt.Errorf("%s: connection closed: %v", method, c.err)
	case <-time.After(2 * time.Minute):
		return fmt.Errorf("%s: no reply within two minutes", method)
	}
}
