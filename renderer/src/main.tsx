import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The theme and the shared building blocks come first: components and features import their own CSS after them,
// and esbuild keeps that order in the one bundled app.css.
import './styles.css';
import './components/components.css';
import './components/tables.css';
import { App } from './app';
// The checks' CSS (report view, pass preview, the slot a form keeps for a report) stays last, where it has always
// been in the cascade.
import './features/checks/checks.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
