import ReactECharts from 'echarts-for-react';

/** Events by level as a doughnut in the national level colours. */
export default function LevelPie({
  data,
}: {
  data: Array<{ name: string; value: number; itemStyle: { color: string } }>;
}) {
  return (
    <ReactECharts
      style={{ height: 280 }}
      option={{
        tooltip: { trigger: 'item' },
        legend: { bottom: 0, icon: 'circle' },
        series: [
          { type: 'pie', radius: ['45%', '70%'], center: ['50%', '45%'], label: { formatter: '{c}' }, data },
        ],
      }}
    />
  );
}
