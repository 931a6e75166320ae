/**
 * Server colours from VS Code's chart colours, so every theme works: six hues, then the same hues
 * mixed toward the text colour and toward the background, eighteen in all before they repeat. A
 * server keeps its colour for the whole session (its `color` slot), failed or not.
 */
// Orange and yellow are close in light themes, so they sit furthest apart.
const HUES = [
  'var(--vscode-charts-blue, #3794ff)',
  'var(--vscode-charts-orange, #d18616)',
  'var(--vscode-charts-green, #89d185)',
  'var(--vscode-charts-purple, #b180d7)',
  'var(--vscode-charts-red, #f14c4c)',
  'var(--vscode-charts-yellow, #cca700)',
];

export const PALETTE_SIZE = HUES.length * 3;
export const MUTED = 'var(--vscode-descriptionForeground)';

/** CSS colour of colour slot `slot`; -1 (no live server) is muted. */
export function serverColor(slot: number): string {
  if (slot < 0) return MUTED;
  const hue = HUES[slot % HUES.length]!;
  const tier = Math.floor(slot / HUES.length) % 3;
  if (tier === 0) return hue;
  return `color-mix(in srgb, ${hue} 55%, ${tier === 1 ? 'var(--vscode-foreground)' : 'var(--vscode-editor-background)'})`;
}

/**
 * Resolves a CSS colour expression (var(), color-mix()) to an rgb() string a canvas accepts:
 * computed through a hidden element, then painted once to read back plain sRGB.
 */
export class ColorResolver {
  private readonly cache = new Map<string, string>();
  private readonly pixel: CanvasRenderingContext2D | null;

  constructor(private readonly probe: HTMLElement) {
    const c = document.createElement('canvas');
    c.width = c.height = 1;
    this.pixel = c.getContext('2d', { willReadFrequently: true });
  }

  get(expr: string): string {
    let v = this.cache.get(expr);
    if (v === undefined) {
      this.probe.style.color = expr;
      v = getComputedStyle(this.probe).color;
      if (this.pixel) {
        this.pixel.clearRect(0, 0, 1, 1);
        this.pixel.fillStyle = v;
        this.pixel.fillRect(0, 0, 1, 1);
        const [r, g, b] = this.pixel.getImageData(0, 0, 1, 1).data;
        v = `rgb(${r}, ${g}, ${b})`;
      }
      this.cache.set(expr, v);
    }
    return v;
  }
}
