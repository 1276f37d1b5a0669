// Bench+Collector — placeholder until this capability's benchmark lands.
func benchCollector() throws {}
