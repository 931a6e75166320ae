/** Starts a webview: the shared styles, the app mounted on #app, then the connection to the host. */
import './base.css';
import { mount, type Component } from 'svelte';
import { view } from './store.svelte';

export function mountWebview(app: Component): void {
  mount(app, { target: document.getElementById('app')! });
  view.start();
}
