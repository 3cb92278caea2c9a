// Placeholder so the target builds; replaced as the LaifPlot layer is written.
