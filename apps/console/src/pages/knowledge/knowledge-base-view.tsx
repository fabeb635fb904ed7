import { useState } from 'react';
import { Tabs } from '../../components/tabs';
import { useI18n } from '../../i18n/i18n';
import { AddItemForm } from './add-item-form';
import { DocumentsTab } from './documents-tab';
import { EntityPage } from './entity-page';
import { ImportForm } from './import-form';
import { ItemsTable } from './items-table';
import { RetrievalPlayground } from './retrieval-playground';

/**
 * One base: the items tab (search, edit, delete, add, import, playground) or the documents tab;
 * with `entity`, that entity's page instead.
 */
export function KnowledgeBaseView({ name, entity, onChanged }: { name: string; entity?: string; onChanged(): void }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<'items' | 'documents'>('items');
  const [version, setVersion] = useState(0);
  const base = `/v1/knowledge-bases/${encodeURIComponent(name)}`;
  const changed = () => {
    setVersion((v) => v + 1);
    onChanged();
  };

  if (entity) return <EntityPage name={name} base={base} entity={entity} />;
  return (
    <>
      <Tabs<'items' | 'documents'>
        tabs={[
          { id: 'items', label: t('curation.itemsTab') },
          { id: 'documents', label: t('documents.title') },
        ]}
        active={tab}
        onSelect={setTab}
      />
      {tab === 'documents' ? (
        <DocumentsTab base={base} onChanged={changed} />
      ) : (
        <>
          <ItemsTable name={name} base={base} version={version} onChanged={onChanged} />
          <div className="split">
            <div>
              <AddItemForm base={base} onAdded={changed} />
              <ImportForm base={base} onImported={changed} />
            </div>
            <RetrievalPlayground base={base} />
          </div>
        </>
      )}
    </>
  );
}
