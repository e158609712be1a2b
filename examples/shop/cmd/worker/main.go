// Command worker runs one job.
package main

import (
	"fmt"
	"os"

	"example.com/shop/internal/jobs"
)

func main() {
	fmt.Printf("%s (uid %d)\n", jobs.Run("nightly"), os.Getuid())
}
