import { PageHeader } from '../../components/ui';

export default function AdsPage() {
  return <PageHeader title="Ads" />;
}
