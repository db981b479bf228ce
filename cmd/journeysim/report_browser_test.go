package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/journeysim/journeysim/results/charts"
	"github.com/journeysim/journeysim/results/report"
)

// The report opens in a real browser with no network: Debian's headless
// Chromium renders every chart and the comparison table, and its
// screenshot is not blank. make test-browser installs Chromium and runs
// this test.
func TestReportInChromium(t *testing.T) {
	if os.Getenv("JOURNEYSIM_BROWSER") != "1" {
		t.Skip("set JOURNEYSIM_BROWSER=1 to open the report in headless Chromium (make test-browser installs it and does)")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("JOURNEYSIM_BROWSER=1 but chromium is not on PATH: make test-browser installs it")
	}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "run")
	if code, _, stderr := runCLI(t, "run", "testdata/small.yaml", "--reps", "2", "--customers", "300", "--horizon", "20", "-q", "--out", dir); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	page := filepath.Join(tmp, "report.html")
	if code, _, stderr := runCLI(t, "report", dir, "-o", page); code != 0 {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	cs, err := charts.Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	url := "file://" + page
	profile := filepath.Join(tmp, "profile")
	browse := func(args ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		args = append([]string{"--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
			"--no-first-run", "--disable-extensions"}, args...)
		cmd := exec.CommandContext(ctx, chromium, append(args, url)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return stdout.Bytes()
	}

	dom := string(browse("--dump-dom"))
	if n := strings.Count(dom, "<svg"); n != len(cs) {
		t.Errorf("the DOM Chromium built holds %d <svg> elements; want %d, one per chart", n, len(cs))
	}
	for _, want := range []string{`id="comparison"`, `id="metrics"`, "Strategies compared", `id="outcome-table"`, `id="channel-table"`,
		`id="headline"`, `id="business-table"`} {
		if !strings.Contains(dom, want) {
			t.Errorf("the DOM Chromium built lacks %q", want)
		}
	}

	shot := filepath.Join(tmp, "report.png")
	browse("--screenshot="+shot, "--window-size=1600,1000", "--hide-scrollbars")
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if dark := darkPixels(img); dark < 1000 {
		t.Errorf("the screenshot has %d dark pixels: it looks blank", dark)
	}

	// Seven strategies with their intervals fit a projector 1,280 pixels
	// wide: no table is wider than the page's text, which would cut off
	// its last columns. The page has no script; a copy of it gets one
	// that writes each table's overhang into the DOM.
	wide := filepath.Join(tmp, "seven")
	if code, _, stderr := runCLI(t, "run", "email-pressure", "--reps", "3", "--customers", "2000", "--horizon", "60", "-q", "--out", wide); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	html, err := report.Build(wide, describeForReport)
	if err != nil {
		t.Fatal(err)
	}
	const measure = `<script>var out = [];
document.querySelectorAll("table").forEach(function (t) {
  var over = Math.round(t.getBoundingClientRect().right - document.body.getBoundingClientRect().right + parseFloat(getComputedStyle(document.body).paddingRight));
  out.push(t.id + "=" + over);
});
var pre = document.createElement("pre"); pre.id = "overhang"; pre.textContent = out.join(" "); document.body.appendChild(pre);
</script></body>`
	url = "file://" + filepath.Join(tmp, "seven.html")
	if err := os.WriteFile(filepath.Join(tmp, "seven.html"), bytes.Replace(html, []byte("</body>"), []byte(measure), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, width := range []string{"1280", "1600"} {
		dom := string(browse("--dump-dom", "--window-size="+width+",1000"))
		_, rest, _ := strings.Cut(dom, `<pre id="overhang">`)
		overhang, _, _ := strings.Cut(rest, "</pre>")
		if strings.Count(overhang, "=") != 5 {
			t.Fatalf("at %s pixels: overhangs %q; want the 5 tables'", width, overhang)
		}
		for _, f := range strings.Fields(overhang) {
			if id, px, _ := strings.Cut(f, "="); px != "0" && !strings.HasPrefix(px, "-") {
				t.Errorf("at %s pixels the table %s is %s px wider than the page's text", width, id, px)
			}
		}
	}
}

// darkPixels counts the pixels of img darker than mid-grey.
func darkPixels(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if (r+g+bl)/3 < 0x8000 {
				n++
			}
		}
	}
	return n
}
