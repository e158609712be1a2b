// Package jobs runs jobs; it uses greeting, so worker depends on greeting transitively.
package jobs

import "example.com/shop/internal/greeting"

// Run runs a job.
func Run(name string) string {
	return greeting.Hello("job " + name)
}
