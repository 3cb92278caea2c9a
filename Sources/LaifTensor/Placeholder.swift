// Placeholder so the target builds; replaced as the LaifTensor layer is written.
