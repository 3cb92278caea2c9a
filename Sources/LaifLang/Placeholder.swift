// Placeholder so the target builds; replaced as the LaifLang layer is written.
