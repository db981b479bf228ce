package serve

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/journeysim/journeysim/scenarios"
)

// strategyControl reports whether control c is set in the strategy tried
// (a lever or a strategy.FIELD path) rather than in the whole scenario.
func strategyControl(c scenarios.Control) bool {
	return c.Lever != "" || strings.HasPrefix(c.Path, "strategy.")
}

// pinnedScenario makes the pinned runs of plan one scenario of lesson l:
// the scenario with the settings of the whole scenario they share, and a
// strategy per pin (pin1_fixed, …) extending the strategy it tried, with
// its strategy's settings. It fails when the pins differ in a setting of
// the whole scenario: one scenario cannot hold both. The scenario is sized
// as the pins are. picked are the pins' strategies; baseline names the
// baseline pin's.
func pinnedScenario(l *Lesson, plan comparePlan) (sc *scenarios.Scenario, picked []int, baseline string, err error) {
	ctls := controls(l.Scenario)
	// The settings of the whole scenario each pin makes, as the scenario's
	// own value where a pin leaves one unset.
	global := func(p runPlan) ([]float64, error) {
		var vs []float64
		for i, c := range ctls {
			if strategyControl(c) {
				vs = append(vs, 0)
				continue
			}
			v, err := c.Value(l.Scenario, p.strategy)
			if err != nil {
				return nil, err
			}
			for _, cv := range p.set {
				if cv.control == i {
					v = cv.value
				}
			}
			vs = append(vs, v)
		}
		return vs, nil
	}
	first, err := global(plan.pins[0])
	if err != nil {
		return nil, nil, "", err
	}
	for k, p := range plan.pins[1:] {
		g, err := global(p)
		if err != nil {
			return nil, nil, "", err
		}
		for i := range ctls {
			if g[i] == first[i] {
				continue
			}
			return nil, nil, "", fmt.Errorf("pinned runs 1 and %d differ in %q, a setting of the whole scenario, which one scenario cannot hold twice: export pins that share it", k+2, ctls[i].Label)
		}
	}
	var over []scenarios.Override
	for i, c := range ctls {
		if !strategyControl(c) {
			over = append(over, c.Override("", first[i]))
		}
	}
	base, err := l.Scenario.With(over, l.Options)
	if err != nil {
		return nil, nil, "", fmt.Errorf("apply the settings: %w", err)
	}
	var variants []scenarios.Variant
	var names []string
	for i, p := range plan.pins {
		v := scenarios.Variant{Name: fmt.Sprintf("pin%d_%s", i+1, p.strategy), Extends: p.strategy, Description: "pinned run " + fmt.Sprint(i+1)}
		for _, cv := range p.set {
			if c := ctls[cv.control]; strategyControl(c) {
				v.Overrides = append(v.Overrides, c.Override(v.Name, cv.value))
			}
		}
		variants = append(variants, v)
		names = append(names, v.Name)
	}
	sc, err = base.WithVariants(variants, l.Options)
	if err != nil {
		return nil, nil, "", fmt.Errorf("make the pinned runs a scenario: %w", err)
	}
	m := sc.Model
	size(m, plan.pins[0].customers, plan.pins[0].horizon)
	for _, n := range names {
		picked = append(picked, m.StrategyIndex(n))
	}
	return sc, picked, names[plan.baseline], nil
}

// export answers with the pinned runs as a result folder (a zip file,
// ?as=folder) or as the HTML report of it (?as=report): the runs made one
// scenario (pinnedScenario), run as journeysim run runs it, so that the
// folder's scenario.yaml reruns them.
func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	l, ok := s.apiLesson(w, r)
	if !ok {
		return
	}
	as := r.URL.Query().Get("as")
	if as != "folder" && as != "report" {
		httpError(w, http.StatusBadRequest, fmt.Sprintf("as=%q: allowed: folder, report", clip(as)))
		return
	}
	if s.cfg.Save == nil || (as == "report" && s.cfg.Report == nil) {
		httpError(w, http.StatusNotImplemented, "this server does not export")
		return
	}
	plan, ok := decodeBody(w, r, func(b []byte) (comparePlan, error) { return s.decodeCompareRequest(l, b) })
	if !ok {
		return
	}
	sc, picked, baseline, err := pinnedScenario(l, plan)
	if err != nil {
		httpError(w, http.StatusBadRequest, err.Error())
		return
	}
	data, kind, name, err := s.exportData(r.Context(), l, as, sc, picked, baseline)
	switch {
	case errors.Is(err, errBusy):
		busy(w)
		return
	case r.Context().Err() != nil:
		return // the browser went away
	case err != nil:
		s.cfg.Logf("lesson %s: export: %v", l.Name, err)
		httpError(w, http.StatusInternalServerError, "the export failed: "+err.Error())
		return
	}
	// Written with the run slot free, and within a deadline: a browser
	// that stops reading holds nothing for long.
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(30 * time.Second))
	w.Header().Set("Content-Type", kind)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(data)
}

// exportData runs the pinned scenario sc in a run slot and returns the
// export asked for (as): its bytes, type and file name.
func (s *Server) exportData(ctx context.Context, l *Lesson, as string, sc *scenarios.Scenario, picked []int, baseline string) (data []byte, kind, name string, err error) {
	release, err := s.acquire(ctx, true)
	if err != nil {
		return nil, "", "", err
	}
	defer release()
	tmp, err := os.MkdirTemp("", "journeysim-export-")
	if err != nil {
		return nil, "", "", fmt.Errorf("a folder to write the export in: %w", err)
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, l.Name+"-pinned")
	if err := s.cfg.Save(ctx, sc, picked, baseline, dir); err != nil {
		return nil, "", "", fmt.Errorf("run the pinned runs: %w", err)
	}
	if as == "folder" {
		data, err = zipFolder(dir)
		return data, "application/zip", l.Name + "-pinned.zip", err
	}
	data, err = s.cfg.Report(dir)
	if err != nil {
		return nil, "", "", fmt.Errorf("the report: %w", err)
	}
	return data, "text/html; charset=utf-8", l.Name + "-pinned.html", nil
}

// zipFolder packs the files of dir into a zip archive, under dir's name.
func zipFolder(dir string) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	base := filepath.Dir(dir)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(base, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
