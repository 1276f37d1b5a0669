// Bench+Analysis — placeholder until this capability's benchmark lands.
func benchAnalysis() throws {}
