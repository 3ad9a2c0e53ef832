// expect: INPUT002
package main

import "fmt"

func main() {
	fmt.Println("hi")
}
