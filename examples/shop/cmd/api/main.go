// Command api prints a greeting and the user it runs as.
package main

import (
	"fmt"
	"os"

	"example.com/shop/internal/greeting"
)

func main() {
	fmt.Printf("%s (uid %d)\n", greeting.Hello("api"), os.Getuid())
}
