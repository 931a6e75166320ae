import '../lib/base.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { explainView } from './host.svelte';

mount(App, { target: document.getElementById('app')! });
explainView.start();
