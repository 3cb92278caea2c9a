// Placeholder so the target builds; replaced as the LaifSim layer is written.
