// Placeholder so the target builds; replaced as the LaifBindings layer is written.
