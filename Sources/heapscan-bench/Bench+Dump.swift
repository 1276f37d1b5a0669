// Bench+Dump — placeholder until this capability's benchmark lands.
func benchDump() throws {}
