// heapscan-fixtures — placeholder.
print("fixtures")
