// heapscan-example — placeholder.
print("example")
