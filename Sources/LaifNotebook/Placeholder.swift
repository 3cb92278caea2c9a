// Placeholder so the target builds; replaced as the LaifNotebook layer is written.
