// Bench+Render — placeholder until this capability's benchmark lands.
func benchRender() throws {}
