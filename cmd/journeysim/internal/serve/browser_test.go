package serve

import (
	"bytes"
	"context"
	"flag"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var update = flag.Bool("update", false, "rewrite docs/img/serve-lesson.png from the browser test")

// A class uses the lesson page in a real browser (headless Chromium):
// the first run shows the key results; moving a slider reruns and changes
// a key number; two pinned runs are compared with verdicts; the page's
// screenshot is not blank. make test-browser installs Chromium and runs
// it; with -update it rewrites the screenshot docs/serve.md shows.
func TestServeInChromium(t *testing.T) {
	if os.Getenv("JOURNEYSIM_BROWSER") != "1" {
		t.Skip("set JOURNEYSIM_BROWSER=1 to drive the lesson page in headless Chromium (make test-browser installs it and does)")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("JOURNEYSIM_BROWSER=1 but chromium is not on PATH: make test-browser installs it")
	}
	s := newTestServer(t, "cx-investment")
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1400))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	defer cancelTime()

	// waitFor waits until the body's data-KEY counts n.
	waitFor := func(key, n string) chromedp.Action[chromedp.Void] {
		return chromedp.WaitVisible(chromedp.CSS(`body[data-` + key + `="` + n + `"]`))
	}
	keyText := func() (string, error) { return chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#key tbody`))) }
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	step("open the lesson", chromedp.Navigate(srv.URL+"/lesson/cx-investment"), waitFor("runs", "1"))
	first, err := keyText()
	if err != nil {
		t.Fatal(err)
	}
	// Move the service slider to 1.5: an input event, as a drag sends.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const r = document.getElementById("control-0"); r.value = "1.5"; r.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`)); err != nil {
		t.Fatal(err)
	}
	step("rerun after the slider", waitFor("runs", "2"))
	second, err := keyText()
	if err != nil {
		t.Fatal(err)
	}
	step("pin the run", chromedp.Click(chromedp.CSS(`#pin:not([disabled])`)))
	// Another strategy, then pin it too: the two are compared.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const s = document.getElementById("strategy"); s.value = "gold_plated"; s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)); err != nil {
		t.Fatal(err)
	}
	step("rerun another strategy", waitFor("runs", "3"), chromedp.Click(chromedp.CSS(`#pin:not([disabled])`)), waitFor("compares", "1"))
	compared, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#compare`)))
	if err != nil {
		t.Fatal(err)
	}
	if first == "" || first == second {
		t.Errorf("moving the slider did not change the key results:\n%s\n---\n%s", first, second)
	}
	if !strings.Contains(second, "mean CSAT") {
		t.Errorf("key results %q", second)
	}
	if !strings.Contains(compared, "2: gold_plated") || !(strings.Contains(compared, "better") || strings.Contains(compared, "worse")) {
		t.Errorf("comparison of the pinned runs %q has no verdict", compared)
	}
	// A second browser context, a student's, submits a strategy as a team;
	// the teacher's board shows it.
	student, cancelStudent := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancelStudent()
	if err := chromedp.Do(student,
		chromedp.Navigate(srv.URL+"/lesson/cx-investment"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-runs="1"]`)),
		chromedp.SendKeys(chromedp.CSS(`#team`), "Blue Whales"),
		chromedp.Click(chromedp.CSS(`#submit`)),
		chromedp.WaitVisible(chromedp.CSS(`body[data-submitted="1"]`)),
	); err != nil {
		t.Fatalf("the student's submission: %v", err)
	}
	boardCtx, cancelBoard := chromedp.NewContext(ctx)
	defer cancelBoard()
	if err := chromedp.Do(boardCtx, chromedp.Navigate(srv.URL+"/board/cx-investment"), chromedp.WaitVisible(chromedp.CSS(`body[data-teams="1"]`))); err != nil {
		t.Fatalf("the board: %v", err)
	}
	onBoard, err := chromedp.Run(boardCtx, chromedp.Text(chromedp.CSS(`#board`)))
	if err != nil {
		t.Fatal(err)
	}
	// The page starts on the strategy after the baseline, fixed.
	if !strings.Contains(onBoard, "Blue Whales") || !strings.Contains(onBoard, "fixed") {
		t.Errorf("the board %q does not show the team's strategy", onBoard)
	}
	boardShot, err := chromedp.Run(boardCtx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	checkNotBlank(t, boardShot)

	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	checkNotBlank(t, shot)
	if *update {
		if err := os.WriteFile(filepath.Join("..", "..", "..", "..", "docs", "img", "serve-lesson.png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkNotBlank fails unless the PNG shot has a good deal drawn on it.
func checkNotBlank(t *testing.T, shot []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	b := img.Bounds()
	inked, total := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			total++
			if r < 0xe000 || g < 0xe000 || bl < 0xe000 {
				inked++
			}
		}
	}
	if inked*100 < total { // under 1% of the page drawn on
		t.Errorf("the screenshot is blank: %d of %d samples drawn on", inked, total)
	}
}
