import { mountWebview } from '../lib/mount';
import App from './App.svelte';

mountWebview(App);
