/**
 * The designer page's entry: mounts the app.
 */
import { createRoot } from 'react-dom/client';
import { DesignerApp } from './designer-app.js';
import './styles.css';

const root = document.getElementById('root');
if (root) createRoot(root).render(<DesignerApp />);
