// Placeholder entry point; replaced by the command-line front end.
print("laif")
