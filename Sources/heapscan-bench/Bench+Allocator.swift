// Bench+Allocator — placeholder until this capability's benchmark lands.
func benchAllocator() throws {}
