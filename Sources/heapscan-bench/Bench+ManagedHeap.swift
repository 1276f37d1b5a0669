// Bench+ManagedHeap — placeholder until this capability's benchmark lands.
func benchManagedHeap() throws {}
