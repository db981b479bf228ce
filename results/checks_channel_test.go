package results

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results/internal/fixture"
	"github.com/journeysim/journeysim/sim"
)

// A check reads each channel's outcomes as channel.CHANNEL.METRIC, in
// brackets too, and a name it cannot read is an error placed at the part
// that is wrong, with the name likely meant and what is allowed.
func TestCompileChannelCheck(t *testing.T) {
	channels := []string{"email", "web", "web-shop"}
	tests := []struct {
		src  string
		uses []string
		want []string // parts of the error; none: it compiles
	}{
		{src: "channel.email.opt_outs < 5", uses: []string{"channel.email.opt_outs"}},
		{src: `channel["web-shop"].visits > 0 && channel["web"]["revenue"] >= 0`, uses: []string{"channel.web-shop.visits", "channel.web.revenue"}},
		{src: "channel.email.contacts / customers < 3 && revenue > 0", uses: []string{"channel.email.contacts", "customers", "revenue"}},
		{src: "channel?.email?.response_rate > 0.01", uses: []string{"channel.email.response_rate"}},
		{src: "channel.email.incremental_truth > 0", uses: []string{"channel.email.incremental_truth"}},
		{src: "channel.email.opt_out < 5", want: []string{`f.yaml:3:19: check "channel.email.opt_out < 5": no channel metric "opt_out"; allowed: contacts, responses,`,
			"and incremental_truth (with --attribution)", `did you mean "channel.email.opt_outs"?`, "(column 15)", "\n |               ^"}},
		{src: "revenue > 0 && channel.emial.visits > 0", want: []string{`f.yaml:3:28: check`, `no channel "emial"; it has: email, web, web-shop; did you mean "channel.email.visits"?`}},
		{src: "channel.web-shop.visits > 0", want: []string{`f.yaml:3:5: check`, "channel needs a channel and a metric", `channel["web-shop"].visits`}},
		{src: `channel["web-shp"].visits > 0`, want: []string{`no channel "web-shp"`, `did you mean channel["web-shop"].visits?`}},
		{src: "channel.email > 0", want: []string{"channel needs a channel and a metric: write channel.CHANNEL.METRIC, such as channel.email.opt_outs"}},
		{src: "len(channel) > 0", want: []string{"channel needs a channel and a metric"}},
		{src: "opt_outs > 3", want: []string{"unknown name opt_outs; opt_outs is measured per channel: write channel.CHANNEL.opt_outs, such as channel.email.opt_outs"}},
		{src: "email > 3", want: []string{"unknown name email; email is a channel: write channel.email.METRIC, such as channel.email.contacts"}},
		{src: "npv > 0 && payback < 100", uses: []string{"npv", "payback"}},
		{src: "roi > 1", want: []string{"unknown name roi; roi is now called profit_to_cost (profit ÷ costs)", "incremental ROI of the business case"}},
		{src: "revnue > 3", want: []string{`did you mean "revenue"?`, "\nand per channel: channel.CHANNEL.METRIC, for CHANNEL one of email, web, web-shop and METRIC one of contacts,"}},
	}
	at := func(line, column int) string { return fmt.Sprintf("f.yaml:%d:%d", line+2, column+4) }
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			c, err := CompileCheckIn(tt.src, "f.yaml:3:5", at, nil, channels)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if got := strings.Join(c.Uses(), ","); got != strings.Join(tt.uses, ",") {
					t.Errorf("uses %s, want %s", got, strings.Join(tt.uses, ","))
				}
				return
			}
			if err == nil {
				t.Fatalf("compiled; want an error with %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nlacks %q", err, w)
				}
			}
		})
	}
}

// A check compiled without its scenario's channels takes any channel, and
// Measurable then refuses one the scenario does not have, and a channel's
// truth without attribution.
func TestChannelCheckMeasurable(t *testing.T) {
	m := &sim.Model{Name: "shop", Channels: []sim.Channel{{Name: "email"}, {Name: "sms"}}}
	tests := []struct {
		src         string
		attribution bool
		want        string
	}{
		{"channel.sms.opt_outs < 5", false, ""},
		{"channel.smss.opt_outs < 5", false, `--check: check "channel.smss.opt_outs < 5" reads channel.smss.opt_outs: no channel "smss" in scenario shop; it has: email, sms; did you mean "channel.sms.opt_outs"?`},
		{"channel.email.incremental_truth > 0", true, ""},
		{"channel.email.incremental_truth > 0", false, `--check: check "channel.email.incremental_truth > 0" reads channel.email.incremental_truth, which needs the reruns with each channel switched off: add --attribution`},
	}
	for _, tt := range tests {
		c, err := CompileCheck(tt.src, "--check", nil)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if err := c.Measurable(m, tt.attribution); err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%s (attribution %v):\n got %q\nwant %q", tt.src, tt.attribution, got, tt.want)
		}
	}
}

// A check reads a channel's mean over the replications; a channel the
// strategy switches off is undefined, which fails the check and says why.
func TestChannelCheckEvaluates(t *testing.T) {
	c, err := CompileCheckIn("channel.email.contacts == 50 && channel.web.cost == 20", "--check", nil, nil, []string{"email", "web"})
	if err != nil {
		t.Fatal(err)
	}
	s := summarize(t, fixture.Result(), Options{Checks: []*Check{c}})
	if len(s.Checks) != 2 {
		t.Fatalf("%d results, want 2", len(s.Checks))
	}
	a, b := s.Checks[0], s.Checks[1]
	if !a.Pass || len(a.Observed) != 2 || a.Observed[0].Value.Mean != 50 || a.Observed[1].Value.Mean != 20 {
		t.Errorf("strategy a: %+v; want a pass reading 50 contacts and a cost of 20", a)
	}
	if b.Pass || len(b.Observed) != 2 || !math.IsNaN(b.Observed[1].Value.Mean) || b.Observed[1].Why != "b does not use web" {
		t.Errorf("strategy b: %+v; want a failure, web undefined since b does not use it", b)
	}
}
