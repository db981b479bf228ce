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
// Chromium renders every chart and the tables, and its screenshot is not
// blank. Then, on a machine with only the DejaVu fonts (a typical Linux
// lab PC: Chromium is given a fontconfig that lists nothing else), at
// windows 1,024 and 1,280 pixels wide, a script in a copy of the page
// measures it once its fonts are loaded: no table is wider than the
// page's text, no text overflows its box (scrollWidth against
// clientWidth), and no two texts of a chart overlap. make test-browser
// installs Chromium and runs this test.
func TestReportInChromium(t *testing.T) {
	if os.Getenv("JOURNEYSIM_BROWSER") != "1" {
		t.Skip("set JOURNEYSIM_BROWSER=1 to open the report in headless Chromium (make test-browser installs it and does)")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("JOURNEYSIM_BROWSER=1 but chromium is not on PATH: make test-browser installs it")
	}
	tmp := t.TempDir()
	fontconfig := dejaVuOnly(t, tmp)
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
	maps, err := journeyMapsOfRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	profile := filepath.Join(tmp, "profile")
	browse := func(url string, args ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		args = append([]string{"--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
			"--no-first-run", "--disable-extensions", "--hide-scrollbars", "--virtual-time-budget=10000"}, args...)
		cmd := exec.CommandContext(ctx, chromium, append(args, url)...)
		cmd.Env = append(os.Environ(), "FONTCONFIG_FILE="+fontconfig)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return stdout.Bytes()
	}

	dom := string(browse("file://"+page, "--dump-dom"))
	if n := strings.Count(dom, "<svg"); n != len(cs)+len(maps) {
		t.Errorf("the DOM Chromium built holds %d <svg> elements; want %d, one per chart and journey map", n, len(cs)+len(maps))
	}
	for _, want := range []string{`id="key-table"`, `id="comparison"`, "Strategies compared", `id="outcome-table"`, `id="channel-table"`,
		`id="headline"`, `id="business-table"`, `id="journey"`, `class="multiples"`} {
		if !strings.Contains(dom, want) {
			t.Errorf("the DOM Chromium built lacks %q", want)
		}
	}

	shot := filepath.Join(tmp, "report.png")
	browse("file://"+page, "--screenshot="+shot, "--window-size=1280,1000")
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

	// The measures can fail: on a page made to break each rule, each is
	// reported.
	bad := filepath.Join(tmp, "bad.html")
	badPage := `<!DOCTYPE html><html><head><style>body { margin: 0 auto; padding: 0 40px; max-width: 600px; } .box { width: 100px; overflow: hidden; white-space: nowrap; }</style></head><body>
<div class="scroll"><table id="too-wide" style="width: 2000px"><tr><td>x</td></tr></table></div>
<p class="box" id="clipped">a text far too long for its box of a hundred pixels</p>
<figure id="chart-bad"><svg width="300" height="100"><text x="10" y="50" font-size="20">1,250,692</text><text x="40" y="52" font-size="20">1,256,335</text></svg></figure>
` + measureScript + `</body></html>`
	if err := os.WriteFile(bad, []byte(badPage), 0o644); err != nil {
		t.Fatal(err)
	}
	measures := string(browse("file://"+bad, "--dump-dom", "--window-size=1024,800"))
	for _, want := range []string{"problem: table table#too-wide", "problem: p#clipped.box", `"1,250,692" overlaps "1,256,335"`, "done"} {
		if !strings.Contains(html2text(measures), want) {
			t.Errorf("on a page made to break the rules, the measures lack %q:\n%s", want, measures)
		}
	}

	// The small run; seven strategies with their intervals
	// (email-pressure), whose tables are the widest of the library.
	wide := filepath.Join(tmp, "seven")
	if code, _, stderr := runCLI(t, "run", "email-pressure", "--reps", "3", "--customers", "2000", "--horizon", "60", "-q", "--out", wide); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	// And a run with attribution, whose charts have the most labels.
	attribution := filepath.Join(tmp, "attribution")
	if code, _, stderr := runCLI(t, "run", "retail-omnichannel", "--reps", "2", "--customers", "2000", "--horizon", "60", "--attribution", "-q", "--out", attribution); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	for _, run := range []string{dir, wide, attribution} {
		maps, err := journeyMapsOfRun(run)
		if err != nil {
			t.Fatal(err)
		}
		html, err := report.Build(run, describeForReport, report.WithJourneyMaps(reportMaps(maps)))
		if err != nil {
			t.Fatal(err)
		}
		measured := filepath.Join(tmp, filepath.Base(run)+"-measured.html")
		if err := os.WriteFile(measured, bytes.Replace(html, []byte("</body>"), []byte(measureScript+"</body>"), 1), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, width := range []string{"1024", "1280"} {
			dom := string(browse("file://"+measured, "--dump-dom", "--window-size="+width+",1000"))
			_, rest, ok := strings.Cut(dom, `<pre id="measures">`)
			measures, _, _ := strings.Cut(rest, "</pre>")
			if !ok || !strings.Contains(measures, "done") {
				t.Fatalf("%s at %s pixels: the page's measures did not come: %.200q", filepath.Base(run), width, measures)
			}
			if !strings.Contains(measures, "font Liberation Sans loaded") {
				t.Errorf("%s at %s pixels: the embedded font did not load: %s", filepath.Base(run), width, measures)
			}
			for _, line := range strings.Split(measures, "\n") {
				if strings.HasPrefix(line, "problem: ") {
					t.Errorf("%s at %s pixels: %s", filepath.Base(run), width, html2text(strings.TrimPrefix(line, "problem: ")))
				}
			}
		}
	}
}

// measureScript measures the page it is put into, once its fonts are
// loaded, and writes what it finds into a <pre id="measures">: a line
// "problem: …" for each table wider than the page's text (or its
// wrapper, which would scroll), each element whose text overflows its
// box, and each pair of texts of a chart that overlap; then "done".
const measureScript = `<script>
document.fonts.ready.then(function () {
  var out = [];
  document.fonts.forEach(function (f) {
    if (f.status === "loaded") { out.push("font " + f.family.replace(/"/g, "") + " loaded"); }
  });
  function name(e) {
    var s = e.tagName.toLowerCase();
    if (e.id) { s += "#" + e.id; }
    if (e.className && typeof e.className === "string") { s += "." + e.className.split(" ").join("."); }
    return s + " (" + (e.textContent || "").replace(/\s+/g, " ").trim().slice(0, 40) + ")";
  }
  var bs = getComputedStyle(document.body);
  var textRight = document.body.getBoundingClientRect().right - parseFloat(bs.paddingRight);
  document.querySelectorAll("table").forEach(function (t) {
    var over = t.getBoundingClientRect().right - textRight;
    if (over > 0.5) { out.push("problem: table " + name(t) + " is " + Math.round(over) + " px wider than the page's text"); }
  });
  var root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) { out.push("problem: the page scrolls sideways: " + root.scrollWidth + " > " + root.clientWidth); }
  document.querySelectorAll("body *").forEach(function (e) {
    if (e.closest("svg")) { return; }
    var d = getComputedStyle(e).display;
    if (d === "inline" || d === "none" || d === "contents" || e.clientWidth === 0) { return; }
    // A frame made to pan (a journey map wider than the page) scrolls its
    // content into view by design.
    if (e.hasAttribute("data-pan") && getComputedStyle(e).overflowX === "auto") { return; }
    if (e.scrollWidth > e.clientWidth + 1) {
      out.push("problem: " + name(e) + " overflows its box: " + e.scrollWidth + " > " + e.clientWidth + " px");
    }
  });
  document.querySelectorAll("svg").forEach(function (svg) {
    var host = svg.closest("[id]");
    var boxes = [];
    svg.querySelectorAll("text").forEach(function (t) {
      var r = t.getBoundingClientRect();
      if (t.textContent.trim() !== "" && r.width > 0 && r.height > 0) { boxes.push({ r: r, s: t.textContent.trim() }); }
    });
    for (var i = 0; i < boxes.length; i++) {
      for (var j = i + 1; j < boxes.length; j++) {
        var a = boxes[i].r, b = boxes[j].r;
        var w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        // Lines of a text touch at their boxes' edges: only an overlap of
        // a fifth of the smaller height and two pixels across counts.
        if (w > 2 && h > 0.2 * Math.min(a.height, b.height)) {
          out.push("problem: in " + (host ? name(host).slice(0, 60) : "a chart") + ", \"" + boxes[i].s + "\" overlaps \"" + boxes[j].s + "\"");
        }
      }
    }
  });
  out.push("done");
  var pre = document.createElement("pre");
  pre.id = "measures";
  pre.textContent = out.join("\n");
  document.body.appendChild(pre);
});
</script>`

// html2text reads the entities Chromium writes in the text of the DOM it
// dumps.
func html2text(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'").Replace(s)
}

// dejaVuOnly writes, in dir, a fontconfig file that lists only the DejaVu
// fonts, as on a Linux lab PC without Liberation or Arial, and returns
// its path, for FONTCONFIG_FILE. The DejaVu folder is found with fc-list.
func dejaVuOnly(t *testing.T, dir string) string {
	t.Helper()
	out, err := exec.Command("fc-list", ":family=DejaVu Sans", "file").Output()
	if err != nil {
		t.Fatalf("fc-list: %v (make test-browser installs fontconfig and fonts-dejavu-core with chromium)", err)
	}
	var dejavu string
	for _, line := range strings.Split(string(out), "\n") {
		if file, _, ok := strings.Cut(strings.TrimSpace(line), ":"); ok && strings.HasSuffix(file, ".ttf") {
			dejavu = filepath.Dir(file)
			break
		}
	}
	if dejavu == "" {
		t.Fatal("fc-list finds no DejaVu Sans: install fonts-dejavu-core")
	}
	conf := `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>` + dejavu + `</dir>
  <cachedir>` + filepath.Join(dir, "fontcache") + `</cachedir>
</fontconfig>
`
	path := filepath.Join(dir, "fonts.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	// fontconfig, so configured, sees DejaVu and nothing else.
	cmd := exec.Command("fc-list", ":", "family")
	cmd.Env = append(os.Environ(), "FONTCONFIG_FILE="+path)
	families, err := cmd.Output()
	if err != nil {
		t.Fatalf("fc-list with %s: %v", path, err)
	}
	for _, f := range strings.Split(strings.TrimSpace(string(families)), "\n") {
		if !strings.HasPrefix(f, "DejaVu") {
			t.Fatalf("with only the DejaVu folder configured, fontconfig still lists %q", f)
		}
	}
	return path
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
