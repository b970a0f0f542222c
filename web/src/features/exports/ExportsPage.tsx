import { PageHeader } from '../../components/ui';

export default function ExportsPage() {
  return <PageHeader title="Exports" />;
}
