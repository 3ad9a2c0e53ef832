Jclass A extends B { #x = 1; static y = 2; get z() { return this.#x; } async *gen() { yield* other(); } }
