import { PageHeader } from '../../components/ui';

export default function RevenuePage() {
  return <PageHeader title="Revenue" />;
}
