package explain_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/scenarios/explain"
)

func ExampleTranslator_Condition() {
	t := &explain.Translator{Tick: "day"}
	fmt.Println(t.Condition("since_purchase > 30 && loyalty < 0.5"))
	fmt.Println(t.Condition(`cart && stage == "dormant"`))
	fmt.Println(t.Condition("tick % 7 == 0 || tick % 7 == 3"))
	fmt.Println(t.Condition(`contacts("email", 7) < 2`))
	fmt.Println(t.Condition(`upper(persona) == "VIP"`))
	// Output:
	// the customer has not bought for more than 30 days and loyalty is below 0.5
	// the customer has an open cart and is in the dormant stage
	// it is the 1st or 4th day of each week
	// the customer has had fewer than 2 e-mails in the last 7 days
	// `upper(persona)` is "VIP"
}

func ExampleTranslator_Probability() {
	t := &explain.Translator{Tick: "day"}
	fmt.Println(t.Probability("1 / 21"))
	fmt.Println(t.Probability("(cart ? 0.6 : 0.25) * (1 - 0.3 * price_sensitivity)"))
	fmt.Println(t.Probability("0.001 + 0.004 * max(0, fatigue.email - tolerance)"))
	// Output:
	// 4.8% (1 in 21)
	// (0.6 if the customer has an open cart, otherwise 0.25) × (1 − 0.3 × price sensitivity)
	// 0.001 + 0.004 × the larger of 0 and (e-mail fatigue − tolerance)
}

// tiny is a small scenario: one persona, e-mail and a web shop.
const tiny = `
name: tiny
run: {horizon: 90, seed: 42}
population:
  size: 5000
  personas:
    - {name: everyone, share: 1, affinity: {email: {beta: [3, 4]}}, consent: {email: 0.7},
       tolerance: {uniform: [1, 4]}, loyalty: {beta: [5, 4]}}
channels:
  email: {kind: owned, direction: outbound, cost_per_contact: 0.003, behaviour: {name: response, params: {rate: 0.08}}}
  web: {kind: owned, direction: inbound}
journey:
  nodes:
    idle: {stage: idle}
    visit: {stage: visit, channel: web}
    buy: {stage: buy, channel: web, purchase: true}
  edges:
    - {from: idle, to: visit, p: "0.02 * (0.3 + loyalty)"}
    - {from: visit, to: buy, p: "0.1"}
    - {from: [visit, buy], to: idle, p: "1"}
    - {from: idle, to: visit, on: response, p: "1"}
strategies:
  - name: newsletter
    triggers:
      - {name: weekly, when: "tick % 7 == 0", channel: email, cooldown: 7}
`

func ExampleMermaid() {
	sc, err := scenarios.Load("tiny.yaml", []byte(tiny))
	if err != nil {
		fmt.Println(err)
		return
	}
	m := sc.Model
	if err := explain.Mermaid(os.Stdout, m); err != nil {
		fmt.Println(err)
	}
	// Output:
	// flowchart LR
	//   %% tiny: the journey, stage by stage from left to right. Rounded green boxes are purchases, red ones purchases at a competitor; dotted arrows are moves on a response to a message; grey arrows go back to an earlier stage.
	//   subgraph s_idle ["1 idle"]
	//     n_idle["idle<br/>start"]
	//   end
	//   subgraph s_visit ["2 visit"]
	//     n_visit["visit<br/>web"]
	//   end
	//   subgraph s_buy ["3 buy"]
	//     n_buy(["buy<br/>web · purchase"])
	//   end
	//   s_idle ~~~ s_visit
	//   s_visit ~~~ s_buy
	//   n_idle -->|"0.02 × (0.3 + loyalty)"| n_visit
	//   n_idle -.->|"on a response: always"| n_visit
	//   n_visit -->|"10%"| n_buy
	//   n_visit -->|"otherwise"| n_idle
	//   n_buy -->|"always"| n_idle
	//   classDef purchase fill:#e6f4ea,stroke:#1e7b34,stroke-width:2px
	//   classDef competitor fill:#fdecea,stroke:#b3261e,stroke-width:2px
	//   classDef start stroke-width:4px
	//   class n_buy purchase
	//   class n_idle start
	//   linkStyle 5,6 stroke:#8c8c8c,color:#5e5e5e
}

func ExampleText() {
	sc, err := scenarios.Load("tiny.yaml", []byte(tiny))
	if err != nil {
		fmt.Println(err)
		return
	}
	var b strings.Builder
	if err := explain.Text(&b, sc); err != nil {
		fmt.Println(err)
	}
	// The whole text describes the customers, channels, journey, fatigue
	// and loyalty too; here, only the strategies.
	_, strategies, _ := strings.Cut(b.String(), "The strategies\n")
	fmt.Print(strategies)
	// Output:
	//   newsletter
	//     - Channels on: email and web.
	//     - Integration multi (multichannel: the channels run as separate silos, so a
	//       customer who switches starts again): a switch of channel fails 30% of the
	//       time (the customer is lost to a competitor for that move), a switch adds 2
	//       points of effort (CES), and the cart is lost.
	//     - Messages, in the order they are tried (at most 1 message per customer a
	//       day):
	//       - weekly: when it is the 1st day of each week, send an e-mail, at most
	//         once every 7 days.
}
