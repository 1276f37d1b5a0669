// Bench+CommandLine — placeholder until this capability's benchmark lands.
func benchCommandLine() throws {}
