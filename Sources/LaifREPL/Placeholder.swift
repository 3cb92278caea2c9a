// Placeholder so the target builds; replaced as the LaifREPL layer is written.
