import { mountWebview } from '../lib/mount';
import Sidebar from './Sidebar.svelte';

document.body.classList.add('sidebar');
mountWebview(Sidebar);
