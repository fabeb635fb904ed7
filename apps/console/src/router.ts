import { useEffect, useState } from 'react';

/** The console lives under /console; routes are the rest of the path ("/personas/hua-zhibing"). */
const BASE = '/console';

function currentRoute(): string {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  return path === '' || path === '/' ? '/personas' : path.replace(/\/$/, '');
}

/** The address of a console route, for a link's href. */
export function routeHref(route: string): string {
  return `${BASE}${route}`;
}

/** Goes to a console route without reloading (the gateway serves index.html for every route on reload). */
export function navigate(route: string): void {
  history.pushState(null, '', routeHref(route));
  dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): string {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return route;
}
