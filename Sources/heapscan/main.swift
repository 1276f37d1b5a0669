// heapscan — command-line tool (placeholder).
print("heapscan: not built yet")
