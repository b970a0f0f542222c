import { Button } from '../../components/ui';
import { pageItems } from './pagination';

/** Previous, numbered pages and next, for a list of `pageCount` pages; the current page is marked for screen readers. */
export function Pagination({ page, pageCount, onPage, disabled }: { page: number; pageCount: number; onPage(page: number): void; disabled?: boolean }) {
  if (pageCount <= 1) return null;
  return (
    <nav className="wl-pagination" aria-label="Waitlist pages">
      <Button onClick={() => onPage(page - 1)} disabled={disabled || page <= 1}>
        <span aria-hidden="true">←</span> Previous
      </Button>
      <ol className="wl-pages">
        {pageItems(page, pageCount).map((item, index) =>
          item === 'gap' ? (
            <li key={`gap-${index}`} className="wl-gap" aria-hidden="true">
              …
            </li>
          ) : (
            <li key={item}>
              <Button
                variant={item === page ? 'primary' : 'ghost'}
                className="wl-page"
                aria-current={item === page ? 'page' : undefined}
                aria-label={`Page ${item}`}
                disabled={disabled && item !== page}
                onClick={() => item !== page && onPage(item)}
              >
                {item}
              </Button>
            </li>
          ),
        )}
      </ol>
      <Button onClick={() => onPage(page + 1)} disabled={disabled || page >= pageCount}>
        Next <span aria-hidden="true">→</span>
      </Button>
    </nav>
  );
}
