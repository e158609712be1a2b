// Package greeting is the library every app shares.
package greeting

// Hello greets someone.
func Hello(who string) string {
	return "hello " + who
}
