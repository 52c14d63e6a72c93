// Kept equal to generator/package.json's version by a test.
export const VERSION = '0.1.0';
