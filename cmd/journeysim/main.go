// Command journeysim simulates omnichannel customer journeys: it runs
// synthetic customers through a scenario's channels under each of its
// strategies and prints loyalty and revenue outcomes side by side.
package main

import "os"

func main() {
	os.Exit(Execute())
}
