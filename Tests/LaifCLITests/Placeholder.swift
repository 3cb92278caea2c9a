// Placeholder so the test target builds; replaced as tests are written.
