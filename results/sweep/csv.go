package sweep

import (
	"encoding/csv"
	"io"
)

func csvWriter(w io.Writer) *csv.Writer { return csv.NewWriter(w) }
