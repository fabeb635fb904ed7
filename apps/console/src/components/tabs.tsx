/** A row of tab buttons (role tablist); the active one is marked for styling and assistive tech. */
export function Tabs<Id extends string>({
  tabs,
  active,
  onSelect,
}: {
  tabs: readonly { id: Id; label: string }[];
  active: string;
  onSelect(id: Id): void;
}) {
  return (
    <div className="tabs" role="tablist">
      {tabs.map(({ id, label }) => (
        <button
          key={id}
          type="button"
          role="tab"
          aria-selected={active === id}
          className={active === id ? 'tab active' : 'tab'}
          onClick={() => onSelect(id)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
