import type { ReactNode } from 'react';
import { navigate, routeHref } from '../router';

/** A link to a console route: a real href (open in a new tab works), navigated in place on a plain click. */
export function RouteLink({ route, className, children }: { route: string; className?: string; children: ReactNode }) {
  return (
    <a
      href={routeHref(route)}
      className={className}
      onClick={(e) => {
        e.preventDefault();
        navigate(route);
      }}
    >
      {children}
    </a>
  );
}
