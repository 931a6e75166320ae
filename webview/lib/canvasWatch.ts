/**
 * What a canvas drawing must redraw for besides its data: a theme switch (VS Code swaps the theme
 * classes on <body>, and canvas colours are resolved once per draw) and a change of its displayed
 * width (it draws at device pixels). Each returns the function that stops watching, so an
 * `$effect` can return it.
 */
export function watchTheme(onChange: () => void): () => void {
  const obs = new MutationObserver(onChange);
  obs.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return () => obs.disconnect();
}

export function watchWidth(el: HTMLElement, onWidth: (width: number) => void): () => void {
  const obs = new ResizeObserver(() => onWidth(el.clientWidth));
  obs.observe(el);
  return () => obs.disconnect();
}
