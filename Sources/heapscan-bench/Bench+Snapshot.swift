// Bench+Snapshot — placeholder until this capability's benchmark lands.
func benchSnapshot() throws {}
