// Command cli uses only the standard library.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Printf("cli ready (uid %d)\n", os.Getuid())
}
